# The scale-out deployment on AWS, composed of the modules. Identical in staging and production:
# environment.tf holds the differences (sizes, protection).

locals {
  name = "symptom-diary-${local.environment}"
  tags = {
    Project     = "symptom-diary"
    Environment = local.environment
    ManagedBy   = "terraform"
  }
  namespace  = "${local.environment}.symptom-diary.internal"
  bridge_url = "https://bridge.${local.namespace}:4000"

  # The root file system is read-only; the PEMs the processes read as files are written from
  # their variables into /tmp/pem (task storage, private to the task) before the process starts.
  write_pems = "umask 077 && mkdir -p /tmp/pem && printenv DATABASE_CA_PEM > /tmp/pem/rds-ca.pem && printenv BRIDGE_CA_PEM > /tmp/pem/bridge-ca.pem"
}

# --- Generated secrets (random_password keeps them in the state only: encrypt the state bucket) ---

resource "random_password" "database" {
  length  = 40
  special = false
}

resource "random_password" "redis_auth" {
  length  = 48
  special = false
}

resource "random_password" "jwt" {
  length  = 64
  special = false
}

resource "random_password" "bridge" {
  length  = 48
  special = false
}

# --- Network, registry, cluster ---

module "network" {
  source = "../../modules/network"

  name               = local.name
  cidr_block         = var.vpc_cidr_block
  availability_zones = var.availability_zones
  single_nat_gateway = local.size.single_nat_gateway
  tags               = local.tags
}

module "registry" {
  source = "../../modules/registry"

  name = local.name
  tags = local.tags
}

module "cluster" {
  source = "../../modules/cluster"

  name      = local.name
  vpc_id    = module.network.vpc_id
  namespace = local.namespace
  tags      = local.tags
}

# --- Data ---

module "database" {
  source = "../../modules/database"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.bridge.security_group_id, module.api.security_group_id]
  instance_class             = local.size.db_instance_class
  allocated_storage_gb       = local.size.db_storage_gb
  max_allocated_storage_gb   = local.size.db_max_storage_gb
  multi_az                   = local.size.db_multi_az
  backup_retention_days      = local.size.db_backup_days
  deletion_protection        = local.size.deletion_protection
  skip_final_snapshot        = !local.size.deletion_protection
  master_password            = random_password.database.result
  kms_key_arn                = module.secrets.kms_key_arn
  tags                       = local.tags
}

module "cache" {
  source = "../../modules/cache"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.api.security_group_id]
  node_type                  = local.size.cache_node_type
  node_count                 = local.size.cache_nodes
  auth_token                 = random_password.redis_auth.result
  kms_key_arn                = module.secrets.kms_key_arn
  tags                       = local.tags
}

# --- Secrets (Secrets Manager, injected into the tasks) ---

locals {
  database_base_url = "postgres://${module.database.username}:${random_password.database.result}@${module.database.address}:${module.database.port}/${module.database.database_name}"
}

module "secrets" {
  source = "../../modules/secrets"

  name = local.name
  secret_names = [
    "DATABASE_URL",
    "APP_DATABASE_URL",
    "REDIS_URL",
    "JWT_SECRET",
    "BRIDGE_SECRET",
    "BRIDGE_KEYS",
    "BRIDGE_TLS_KEY_PEM",
  ]
  secret_values = {
    # The diary, read by the bridge.
    DATABASE_URL = local.database_base_url
    # The app's users and tokens (schema app of the same instance).
    APP_DATABASE_URL   = local.database_base_url
    REDIS_URL          = "rediss://:${random_password.redis_auth.result}@${module.cache.primary_endpoint_address}:${module.cache.port}"
    JWT_SECRET         = random_password.jwt.result
    BRIDGE_SECRET      = random_password.bridge.result
    BRIDGE_KEYS        = "${var.bridge_key_id}:${random_password.bridge.result}"
    BRIDGE_TLS_KEY_PEM = var.bridge_tls_private_key_pem
  }
  recovery_window_days = local.size.secret_recovery_days
  tags                 = local.tags
}

# --- Entry ---

module "load_balancer" {
  source = "../../modules/load-balancer"

  name                = local.name
  vpc_id              = module.network.vpc_id
  vpc_cidr_block      = module.network.vpc_cidr_block
  public_subnet_ids   = module.network.public_subnet_ids
  domain_name         = var.domain_name
  route53_zone_id     = var.route53_zone_id
  deletion_protection = local.size.deletion_protection
  tags                = local.tags
}

# --- Services ---

module "api" {
  source = "../../modules/service"

  name                       = "${local.name}-api"
  container_name             = "api"
  cluster_arn                = module.cluster.cluster_arn
  cluster_name               = module.cluster.cluster_name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  image                      = "${module.registry.repository_url}:${var.image_tag}"
  command                    = ["/bin/sh", "-c", "${local.write_pems} && exec node dist/src/main.js"]
  cpu                        = local.size.api_cpu
  memory                     = local.size.api_memory
  desired_count              = local.size.api_min_tasks
  container_port             = 3000
  ingress_security_group_ids = [module.load_balancer.security_group_id]
  target_group_arn           = module.load_balancer.target_group_arn
  kms_key_arn                = module.secrets.kms_key_arn
  log_retention_days         = local.size.log_retention_days
  # The image's own readiness check (ECS ignores the Dockerfile's HEALTHCHECK).
  health_check_command = ["CMD", "node", "/app/docker/healthcheck.js"]

  environment = {
    ROLE             = "api"
    NODE_ENV         = "production"
    PORT             = "3000"
    HOST             = "0.0.0.0"
    DATA_SOURCE      = "bridge"
    BRIDGE_URL       = local.bridge_url
    BRIDGE_KEY_ID    = var.bridge_key_id
    BRIDGE_CA        = "/tmp/pem/bridge-ca.pem"
    BRIDGE_CA_PEM    = var.bridge_ca_certificate_pem
    DATABASE_CA_FILE = "/tmp/pem/rds-ca.pem"
    DATABASE_CA_PEM  = var.rds_ca_bundle_pem
    TRUST_PROXY      = module.network.vpc_cidr_block
    PUBLIC_BASE_URL  = module.load_balancer.url
    SWAGGER_ENABLED  = "false"
  }
  secrets = {
    APP_DATABASE_URL = module.secrets.secret_arns["APP_DATABASE_URL"]
    REDIS_URL        = module.secrets.secret_arns["REDIS_URL"]
    JWT_SECRET       = module.secrets.secret_arns["JWT_SECRET"]
    BRIDGE_SECRET    = module.secrets.secret_arns["BRIDGE_SECRET"]
  }

  autoscaling = {
    min_tasks           = local.size.api_min_tasks
    max_tasks           = local.size.api_max_tasks
    cpu_target_percent  = local.size.api_cpu_target_percent
    requests_per_target = local.size.api_requests_per_task
    alb_resource_label  = module.load_balancer.resource_label
  }

  tags = local.tags
}

module "bridge" {
  source = "../../modules/service"

  name                       = "${local.name}-bridge"
  container_name             = "bridge"
  cluster_arn                = module.cluster.cluster_arn
  cluster_name               = module.cluster.cluster_name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  image                      = "${module.registry.repository_url}:${var.image_tag}"
  command                    = ["/bin/sh", "-c", "${local.write_pems} && printenv BRIDGE_TLS_CERT_PEM > /tmp/pem/bridge.crt && printenv BRIDGE_TLS_KEY_PEM > /tmp/pem/bridge.key && exec node dist/src/bridge-main.js"]
  cpu                        = local.size.bridge_cpu
  memory                     = local.size.bridge_memory
  desired_count              = 1
  container_port             = 4000
  ingress_security_group_ids = [module.api.security_group_id]
  service_discovery          = { namespace_id = module.cluster.namespace_id }
  kms_key_arn                = module.secrets.kms_key_arn
  log_retention_days         = local.size.log_retention_days
  health_check_command       = ["CMD", "node", "/app/docker/healthcheck.js"]

  environment = {
    ROLE                = "bridge"
    NODE_ENV            = "production"
    BRIDGE_PORT         = "4000"
    BRIDGE_HOST         = "0.0.0.0"
    BRIDGE_TLS_CERT     = "/tmp/pem/bridge.crt"
    BRIDGE_TLS_KEY      = "/tmp/pem/bridge.key"
    BRIDGE_TLS_CERT_PEM = var.bridge_tls_certificate_pem
    BRIDGE_CA_PEM       = var.bridge_ca_certificate_pem
    DATABASE_CA_FILE    = "/tmp/pem/rds-ca.pem"
    DATABASE_CA_PEM     = var.rds_ca_bundle_pem
  }
  secrets = {
    DATABASE_URL       = module.secrets.secret_arns["DATABASE_URL"]
    BRIDGE_KEYS        = module.secrets.secret_arns["BRIDGE_KEYS"]
    BRIDGE_TLS_KEY_PEM = module.secrets.secret_arns["BRIDGE_TLS_KEY_PEM"]
  }

  tags = local.tags
}

# --- Alarms ---

module "alarms" {
  source = "../../modules/alarms"

  name                     = local.name
  alarm_emails             = var.alarm_emails
  kms_key_arn              = module.secrets.kms_key_arn
  load_balancer_arn_suffix = module.load_balancer.arn_suffix
  target_group_arn_suffix  = module.load_balancer.target_group_arn_suffix
  cluster_name             = module.cluster.cluster_name
  service_names            = { api = module.api.service_name, bridge = module.bridge.service_name }
  db_instance_identifier   = module.database.instance_identifier
  db_allocated_storage_gb  = local.size.db_storage_gb
  tags                     = local.tags
}
