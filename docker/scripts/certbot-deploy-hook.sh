#!/usr/bin/env bash
# certbot --deploy-hook: after each issue and renewal, copies the certificate where nginx reads it
# (TLS_CERT_DIR, mounted at /etc/nginx/certs by compose.prod.yml) and reloads nginx without
# dropping connections. certbot sets RENEWED_LINEAGE (/etc/letsencrypt/live/<domain>).
#   certbot certonly --webroot -w /srv/symptom-diary/certbot-www -d diary.example.org \
#     --deploy-hook /opt/symptom-diary/docker/scripts/certbot-deploy-hook.sh
set -euo pipefail

lineage="${RENEWED_LINEAGE:?certbot sets RENEWED_LINEAGE}"
target="${TLS_CERT_DIR:-/srv/symptom-diary/certs}"
compose_dir="${COMPOSE_DIR:-/opt/symptom-diary/docker}"
docker_cmd="${DOCKER:-docker}"

mkdir -p "$target"
chmod 700 "$target"
# readlink -f: the files in live/ are symlinks into archive/, which the container does not see.
install -m 644 "$(readlink -f "$lineage/fullchain.pem")" "$target/fullchain.pem.new"
install -m 600 "$(readlink -f "$lineage/privkey.pem")" "$target/privkey.pem.new"
mv "$target/fullchain.pem.new" "$target/fullchain.pem"
mv "$target/privkey.pem.new" "$target/privkey.pem"

cd "$compose_dir"
COMPOSE_FILE="${COMPOSE_FILE:-compose.yml:compose.prod.yml}" "$docker_cmd" compose exec -T nginx nginx -s reload
echo "certbot-deploy-hook: installed the certificate of $lineage and reloaded nginx"
