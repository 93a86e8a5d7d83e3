# What makes staging staging: small sizes, one NAT gateway, no deletion protection. Everything
# else (main.tf) is identical to production.
locals {
  environment = "staging"

  size = {
    single_nat_gateway     = true
    db_instance_class      = "db.t4g.micro"
    db_storage_gb          = 20
    db_max_storage_gb      = 50
    db_multi_az            = false
    db_backup_days         = 7
    deletion_protection    = false
    cache_node_type        = "cache.t4g.micro"
    cache_nodes            = 1
    api_cpu                = 256
    api_memory             = 512
    api_min_tasks          = 2
    api_max_tasks          = 4
    bridge_cpu             = 256
    bridge_memory          = 512
    log_retention_days     = 14
    secret_recovery_days   = 7
    api_requests_per_task  = 500
    api_cpu_target_percent = 60
  }
}
