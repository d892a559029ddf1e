# Copied verbatim from /work/shared/guides/traefik-certs-for-synology.md (Chapter 3); tests fill in only the paths.
sudo rm /usr/syno/etc/certificate/_archive/<folder>/*.pem
sudo ln -s /path/to/backup/certs/domain.crt /usr/syno/etc/certificate/_archive/<folder>/cert.pem
sudo ln -s /path/to/backup/certs/domain.crt /usr/syno/etc/certificate/_archive/<folder>/fullchain.pem
sudo ln -s /path/to/backup/private/domain.key /usr/syno/etc/certificate/_archive/<folder>/privkey.pem
