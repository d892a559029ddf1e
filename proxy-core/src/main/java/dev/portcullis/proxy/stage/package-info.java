/**
 * The decisions about a request, as stages ({@code reject → own endpoints → route → session →
 * authorize → act}), each a {@link dev.portcullis.proxy.stage.Stage} from an
 * {@link dev.portcullis.proxy.stage.Exchange} to a {@link dev.portcullis.proxy.stage.Step}. No Netty
 * type appears here (an ArchUnit test keeps it so): the exchange layer above carries the steps out.
 */
package dev.portcullis.proxy.stage;
