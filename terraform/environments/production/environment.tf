# What makes production production: larger sizes, a NAT gateway per zone, a standby database,
# Redis with a replica, longer backups and logs, deletion protection. Everything else (main.tf)
# is identical to staging.
locals {
  environment = "production"

  size = {
    single_nat_gateway     = false
    db_instance_class      = "db.m7g.large"
    db_storage_gb          = 100
    db_max_storage_gb      = 500
    db_multi_az            = true
    db_backup_days         = 30
    deletion_protection    = true
    cache_node_type        = "cache.m7g.large"
    cache_nodes            = 2
    api_cpu                = 512
    api_memory             = 1024
    api_min_tasks          = 3
    api_max_tasks          = 12
    bridge_cpu             = 512
    bridge_memory          = 1024
    log_retention_days     = 90
    secret_recovery_days   = 30
    api_requests_per_task  = 800
    api_cpu_target_percent = 60
  }
}
