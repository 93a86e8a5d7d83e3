# The home deployment: the same containers, networks and volumes as docker/compose.yml (with
# compose.prod.yml), created on the Pi 4's Docker engine over SSH, and the DNS record of the
# domain. Use this or `docker compose`, not both on the same Pi.
#
# Secrets are never in Terraform: each container mounts its files from docker/secrets on the Pi
# (docker/scripts/make-secrets.sh makes them), read-only at /run/secrets/<name>, as compose does.

locals {
  image   = "${var.app_image}:${var.app_tag}"
  secrets = "${var.deploy_dir}/docker/secrets"

  # Subnets fixed as in compose.yml: TRUST_PROXY names the edge network.
  networks = {
    edge    = { subnet = "172.30.10.0/24", internal = false }
    backend = { subnet = "172.30.20.0/24", internal = true }
    # internal with the stand-in; in production the bridge reaches the Pi 3B over the LAN.
    diary      = { subnet = "172.30.30.0/24", internal = var.diary_stand_in }
    monitoring = { subnet = "172.30.40.0/24", internal = false }
  }

  log_opts = { max-size = "10m", max-file = "5", tag = "{{.Name}}" }

  api_instances = toset(["api-1", "api-2"])

  api_secret_files = {
    bridge_ca        = "bridge_ca.pem"
    bridge_secret    = "bridge_secret"
    app_database_url = "app_database_url"
    jwt_secret       = "jwt_secret"
    metrics_token    = "metrics_token"
  }

  bridge_secret_files = merge(
    {
      diary_database_url = "diary_database_url"
      bridge_keys        = "bridge_keys"
      bridge_tls_cert    = "bridge_tls_cert.pem"
      bridge_tls_key     = "bridge_tls_key.pem"
    },
    var.diary_stand_in ? {} : { diary_ca = "diary_ca.pem" },
  )
}

resource "docker_network" "this" {
  for_each = local.networks

  name     = "symptom-diary_${each.key}"
  driver   = "bridge"
  internal = each.value.internal

  ipam_config {
    subnet = each.value.subnet
  }
}

resource "docker_volume" "this" {
  for_each = toset(["diary-data", "app-db-data", "redis-data"])

  name = "symptom-diary_${each.key}"
}

resource "docker_image" "app" {
  name         = local.image
  keep_locally = true
}

resource "docker_image" "postgres" {
  name         = "postgres:17-alpine"
  keep_locally = true
}

resource "docker_image" "redis" {
  name         = "redis:7.4-alpine"
  keep_locally = true
}

resource "docker_image" "nginx" {
  name         = "nginx:1.28-alpine"
  keep_locally = true
}

# --- The diary stand-in (development only; production reads the Pi 3B) ---

resource "docker_container" "postgres" {
  count = var.diary_stand_in ? 1 : 0

  name     = "postgres"
  image    = docker_image.postgres.image_id
  restart  = "always"
  shm_size = 64
  memory   = 256
  cpus     = "0.75"

  env = [
    "POSTGRES_DB=diary",
    "POSTGRES_USER=diary_owner",
    "POSTGRES_PASSWORD_FILE=/run/secrets/diary_owner_password",
    "DIARY_READER_PASSWORD_FILE=/run/secrets/diary_reader_password",
  ]

  dynamic "mounts" {
    for_each = { diary_owner_password = "diary_owner_password", diary_reader_password = "diary_reader_password" }
    content {
      type      = "bind"
      source    = "${local.secrets}/${mounts.value}"
      target    = "/run/secrets/${mounts.key}"
      read_only = true
    }
  }

  mounts {
    type      = "bind"
    source    = "${var.deploy_dir}/docker/postgres/diary-init"
    target    = "/docker-entrypoint-initdb.d"
    read_only = true
  }

  volumes {
    volume_name    = docker_volume.this["diary-data"].name
    container_path = "/var/lib/postgresql/data"
  }

  networks_advanced {
    name    = docker_network.this["diary"].name
    aliases = ["postgres"]
  }

  healthcheck {
    test         = ["CMD-SHELL", "pg_isready -U diary_owner -d diary -h 127.0.0.1"]
    interval     = "10s"
    timeout      = "5s"
    retries      = 5
    start_period = "30s"
  }

  wait         = true
  wait_timeout = 120
  log_driver   = "json-file"
  log_opts     = local.log_opts
}

# --- The app's own database and Redis ---

resource "docker_container" "app_db" {
  name     = "app-db"
  image    = docker_image.postgres.image_id
  restart  = "always"
  shm_size = 64
  memory   = 256
  cpus     = "0.75"
  command  = ["postgres", "-c", "shared_buffers=64MB", "-c", "max_connections=40"]

  env = [
    "POSTGRES_DB=app",
    "POSTGRES_USER=app",
    "POSTGRES_PASSWORD_FILE=/run/secrets/app_db_password",
  ]

  mounts {
    type      = "bind"
    source    = "${local.secrets}/app_db_password"
    target    = "/run/secrets/app_db_password"
    read_only = true
  }

  volumes {
    volume_name    = docker_volume.this["app-db-data"].name
    container_path = "/var/lib/postgresql/data"
  }

  networks_advanced {
    name    = docker_network.this["backend"].name
    aliases = ["app-db"]
  }

  healthcheck {
    test         = ["CMD-SHELL", "pg_isready -U app -d app -h 127.0.0.1"]
    interval     = "10s"
    timeout      = "5s"
    retries      = 5
    start_period = "30s"
  }

  wait         = true
  wait_timeout = 120
  log_driver   = "json-file"
  log_opts     = local.log_opts
}

resource "docker_container" "redis" {
  name    = "redis"
  image   = docker_image.redis.image_id
  restart = "always"
  memory  = 128
  cpus    = "0.5"
  command = ["redis-server", "--maxmemory", "96mb", "--maxmemory-policy", "volatile-lru", "--save", "300", "10", "--appendonly", "no"]

  volumes {
    volume_name    = docker_volume.this["redis-data"].name
    container_path = "/data"
  }

  networks_advanced {
    name    = docker_network.this["backend"].name
    aliases = ["redis"]
  }

  networks_advanced {
    name = docker_network.this["monitoring"].name
  }

  healthcheck {
    test         = ["CMD", "redis-cli", "ping"]
    interval     = "10s"
    timeout      = "3s"
    retries      = 5
    start_period = "10s"
  }

  wait         = true
  wait_timeout = 60
  log_driver   = "json-file"
  log_opts     = local.log_opts
}

# --- The bridge: the only container on the diary network ---

resource "docker_container" "bridge" {
  name      = "bridge"
  image     = docker_image.app.image_id
  restart   = "always"
  init      = true
  read_only = true
  tmpfs     = { "/tmp" = "size=16m" }
  memory    = 192
  cpus      = "0.75"
  command   = ["node", "dist/src/bridge-main.js"]

  capabilities {
    drop = ["ALL"]
  }
  security_opts = ["no-new-privileges:true"]

  env = concat([
    "ROLE=bridge",
    "NODE_ENV=production",
    "BRIDGE_PORT=4000",
    "LOG_LEVEL=info",
    "NODE_OPTIONS=--max-old-space-size=128",
    "STARTUP_WAIT_SECONDS=120",
    "DATABASE_URL_FILE=/run/secrets/diary_database_url",
    "DIARY_TIMEZONE=${var.diary_timezone}",
    "DB_POOL_SIZE=8",
    "BRIDGE_KEYS_FILE=/run/secrets/bridge_keys",
    "BRIDGE_TLS_CERT=/run/secrets/bridge_tls_cert",
    "BRIDGE_TLS_KEY=/run/secrets/bridge_tls_key",
  ], var.diary_stand_in ? [] : ["DATABASE_CA_FILE=/run/secrets/diary_ca"])

  dynamic "mounts" {
    for_each = local.bridge_secret_files
    content {
      type      = "bind"
      source    = "${local.secrets}/${mounts.value}"
      target    = "/run/secrets/${mounts.key}"
      read_only = true
    }
  }

  networks_advanced {
    name    = docker_network.this["backend"].name
    aliases = ["bridge"]
  }

  networks_advanced {
    name = docker_network.this["diary"].name
  }

  networks_advanced {
    name = docker_network.this["monitoring"].name
  }

  healthcheck {
    test         = ["CMD", "node", "/app/docker/healthcheck.js"]
    interval     = "15s"
    timeout      = "5s"
    retries      = 3
    start_period = "60s"
  }

  wait         = true
  wait_timeout = 180
  log_driver   = "json-file"
  log_opts     = local.log_opts

  depends_on = [docker_container.postgres]
}

# --- Two API instances ---

resource "docker_container" "api" {
  for_each = local.api_instances

  name      = each.key
  hostname  = each.key
  image     = docker_image.app.image_id
  restart   = "always"
  init      = true
  read_only = true
  tmpfs     = { "/tmp" = "size=16m" }
  memory    = 320
  cpus      = "1.0"

  capabilities {
    drop = ["ALL"]
  }
  security_opts = ["no-new-privileges:true"]

  env = [
    "ROLE=api",
    "NODE_ENV=production",
    "PORT=3000",
    "LOG_LEVEL=info",
    "NODE_OPTIONS=--max-old-space-size=160 --max-semi-space-size=8",
    "STARTUP_WAIT_SECONDS=120",
    "DATA_SOURCE=bridge",
    "BRIDGE_URL=https://bridge:4000",
    "BRIDGE_CA=/run/secrets/bridge_ca",
    "BRIDGE_KEY_ID=${var.bridge_key_id}",
    "BRIDGE_SECRET_FILE=/run/secrets/bridge_secret",
    "APP_DATABASE_URL_FILE=/run/secrets/app_database_url",
    "JWT_SECRET_FILE=/run/secrets/jwt_secret",
    "METRICS_TOKEN_FILE=/run/secrets/metrics_token",
    "REDIS_URL=redis://redis:6379",
    "TRUST_PROXY=${local.networks.edge.subnet}",
    "DIARY_TIMEZONE=${var.diary_timezone}",
    "PUBLIC_BASE_URL=https://${var.domain_name}",
    "SWAGGER_ENABLED=false",
  ]

  dynamic "mounts" {
    for_each = local.api_secret_files
    content {
      type      = "bind"
      source    = "${local.secrets}/${mounts.value}"
      target    = "/run/secrets/${mounts.key}"
      read_only = true
    }
  }

  networks_advanced {
    name    = docker_network.this["edge"].name
    aliases = [each.key]
  }

  networks_advanced {
    name = docker_network.this["backend"].name
  }

  networks_advanced {
    name    = docker_network.this["monitoring"].name
    aliases = [each.key]
  }

  healthcheck {
    test         = ["CMD", "node", "/app/docker/healthcheck.js"]
    interval     = "15s"
    timeout      = "5s"
    retries      = 3
    start_period = "60s"
  }

  wait         = true
  wait_timeout = 180
  log_driver   = "json-file"
  log_opts     = local.log_opts

  depends_on = [docker_container.app_db, docker_container.redis, docker_container.bridge]
}

# --- nginx: the only published container ---

resource "docker_container" "nginx" {
  name    = "nginx"
  image   = docker_image.nginx.image_id
  restart = "always"
  memory  = 64
  cpus    = "0.5"

  ports {
    internal = 80
    external = 80
    ip       = "0.0.0.0"
  }

  ports {
    internal = 443
    external = 443
    ip       = "0.0.0.0"
  }

  dynamic "mounts" {
    for_each = {
      "/etc/nginx/nginx.conf"   = "${var.deploy_dir}/docker/nginx/nginx.conf"
      "/etc/nginx/conf.d"       = "${var.deploy_dir}/docker/nginx/conf.d"
      "/usr/share/nginx/errors" = "${var.deploy_dir}/docker/nginx/errors"
      "/etc/nginx/certs"        = var.tls_cert_dir
      "/var/www/certbot"        = var.certbot_webroot
    }
    content {
      type      = "bind"
      source    = mounts.value
      target    = mounts.key
      read_only = true
    }
  }

  networks_advanced {
    name = docker_network.this["edge"].name
  }

  healthcheck {
    test         = ["CMD-SHELL", "wget -S --spider -T 3 http://127.0.0.1/ 2>&1 | grep -q 'HTTP/1.1 301'"]
    interval     = "15s"
    timeout      = "5s"
    retries      = 3
    start_period = "10s"
  }

  log_driver = "json-file"
  log_opts   = local.log_opts

  depends_on = [docker_container.api]
}

# --- DNS ---

# Created with the address at hand; ddclient (docs/deployment.md) updates it when the router's
# address changes, so Terraform ignores the content afterwards. Not proxied: TLS ends on the Pi.
resource "cloudflare_dns_record" "home" {
  zone_id = var.cloudflare_zone_id
  name    = var.domain_name
  type    = "A"
  content = var.public_ipv4
  ttl     = 300
  proxied = false
  comment = "Symptom diary on the Pi 4 (content kept current by ddclient)"

  lifecycle {
    ignore_changes = [content]
  }
}
