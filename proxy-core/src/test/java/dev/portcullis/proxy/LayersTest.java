package dev.portcullis.proxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * proxy-core's packages form layers, each using only those below it, with no import cycle: transport
 * at the bottom; the services a request uses (HTTP facts, routes, sign-in, access, pages, logs,
 * metrics …); the decision stages, which see no Netty type; the exchange that carries their steps
 * out on the connection; the server that wires it all; the command line on top.
 */
class LayersTest {
    private static final JavaClasses PROXY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portcullis.proxy");

    @Test
    void noTwoPackagesImportEachOther() {
        slices().matching("dev.portcullis.proxy.(*)..").should().beFreeOfCycles().check(PROXY);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Commands").definedBy("..proxy.cli..")
                .layer("Server").definedBy("..proxy.server..", "..proxy.reload..", "..proxy.acme..")
                .layer("Exchange").definedBy("..proxy.exchange..")
                .layer("Stages").definedBy("..proxy.stage..")
                .layer("Services").definedBy("..proxy.signin..", "..proxy.access..", "..proxy.forwardauth..",
                        "..proxy.route..", "..proxy.upstream..", "..proxy.pages..", "..proxy.log..", "..proxy.metrics..",
                        "..proxy.tracing..", "..proxy.report..", "..proxy.http..", "..proxy.tls..", "..proxy.failure..")
                .layer("Transport").definedBy("..proxy.transport..", "..proxy.digest..")
                .whereLayer("Commands").mayNotBeAccessedByAnyLayer()
                .whereLayer("Server").mayOnlyBeAccessedByLayers("Commands")
                .whereLayer("Exchange").mayOnlyBeAccessedByLayers("Server", "Commands")
                .whereLayer("Stages").mayOnlyBeAccessedByLayers("Exchange", "Server", "Commands")
                .whereLayer("Services").mayOnlyBeAccessedByLayers("Stages", "Exchange", "Server", "Commands")
                .check(PROXY);
    }

    @Test
    void theDecisionStagesSeeNoNettyType() {
        noClasses().that().resideInAPackage("dev.portcullis.proxy.stage..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("a decision is about the request, not the connection: the exchange layer carries it out")
                .check(PROXY);
    }

    @Test
    void theFailuresSeeNoNettyTypeEither() {
        noClasses().that().resideInAPackage("dev.portcullis.proxy.failure..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(PROXY);
    }
}
