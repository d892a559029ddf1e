# Copied verbatim from /work/shared/guides/traefik-forward-auth-pomerium.md (the docker run commands); tests fill in only secrets, hosts and ports.
docker run -d --rm --name traefik \
    --network br0 \
    -p 80:80 \
    -p 443:443 \
    -v /var/run/docker.sock:/var/run/docker.sock \
    -v /var/certs/certificates:/var/certs/certificates \
    -v /var/traefik:/etc/traefik \
    -l 'traefik.enable=true' \
    -l 'traefik.http.routers.https-redirect.entrypoints=http' \
    -l 'traefik.http.routers.https-redirect.rule=HostRegexp(`{any:.*}`)' \
    -l 'traefik.http.routers.https-redirect.middlewares=https-redirect' \
    -l 'traefik.http.middlewares.https-redirect.redirectscheme.scheme=https' \
    traefik:v2.2

docker run -d --rm --name pomerium \
    --network br0 \
    -l 'traefik.enable=true' \
    -l 'traefik.http.routers.auth.tls=true' \
    -l 'traefik.http.routers.auth.entrypoints=https' \
    -l 'traefik.http.routers.auth.rule=Host(`auth.example.com`)' \
    -l 'traefik.http.routers.auth.service=auth' \
    -l 'traefik.http.services.auth.loadbalancer.server.port=80' \
    pomerium/pomerium:v0.6.2

docker run -d --rm --name httpbin \
    --network br0 \
    -l 'traefik.enable=true' \
    -l 'traefik.http.routers.httpbin.tls=true' \
    -l 'traefik.http.routers.httpbin.entrypoints=https' \
    -l 'traefik.http.routers.httpbin.rule=Host(`httpbin.example.com`)' \
    -l 'traefik.http.routers.httpbin.service=httpbin' \
    -l 'traefik.http.services.httpbin.loadbalancer.server.port=80' \
    kennethreitz/httpbin

docker run -d --rm --name jaeger \
    --network br0 \
    -e SPAN_STORAGE_TYPE=badger \
    -e BADGER_EPHEMERAL=false \
    -e BADGER_DIRECTORY_VALUE=/var/jaeger/data \
    -e BADGER_DIRECTORY_KEY=/var/jaeger/key \
    -v /var/jaeger:/var/jaeger \
    -l 'traefik.enable=true' \
    -l 'traefik.http.routers.jaeger.tls=true' \
    -l 'traefik.http.routers.jaeger.entrypoints=https' \
    -l 'traefik.http.routers.jaeger.rule=Host(`jaeger.example.com`)' \
    -l 'traefik.http.routers.jaeger.middlewares=jaeger' \
    -l 'traefik.http.routers.jaeger.service=jaeger' \
    -l 'traefik.http.middlewares.jaeger.forwardauth.trustForwardHeader=true' \
    -l 'traefik.http.middlewares.jaeger.forwardauth.authResponseHeaders=x-pomerium-jwt-assertion' \
    -l 'traefik.http.middlewares.jaeger.forwardauth.address=http://pomerium:443/?uri=https://jaeger.example.com' \
    -l 'traefik.http.services.jaeger.loadbalancer.server.port=16686' \
    jaegertracing/all-in-one:1.17
