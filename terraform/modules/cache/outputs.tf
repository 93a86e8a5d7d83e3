output "primary_endpoint_address" {
  description = "Host name of the primary (writes and reads)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "port" {
  description = "Redis port."
  value       = aws_elasticache_replication_group.this.port
}

output "replication_group_id" {
  description = "Replication group id."
  value       = aws_elasticache_replication_group.this.id
}

output "member_clusters" {
  description = "Cache cluster ids of the nodes (CloudWatch dimension CacheClusterId)."
  value       = aws_elasticache_replication_group.this.member_clusters
}

output "security_group_id" {
  description = "Security group of the replication group."
  value       = aws_security_group.this.id
}

output "transit_encryption_enabled" {
  description = "Whether clients must use TLS (always true: REDIS_URL is rediss://)."
  value       = aws_elasticache_replication_group.this.transit_encryption_enabled
}
