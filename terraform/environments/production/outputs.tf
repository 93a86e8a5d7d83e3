output "api_url" {
  description = "Public base URL of the API."
  value       = module.load_balancer.url
}

output "load_balancer_dns_name" {
  description = "DNS name of the load balancer (the alias target of domain_name)."
  value       = module.load_balancer.dns_name
}

output "ecr_repository_url" {
  description = "Where the pipeline pushes the image for this environment."
  value       = module.registry.repository_url
}

output "cluster_name" {
  description = "ECS cluster (aws ecs update-service --cluster ...)."
  value       = module.cluster.cluster_name
}

output "api_service_name" {
  description = "ECS service of the API."
  value       = module.api.service_name
}

output "bridge_service_name" {
  description = "ECS service of the bridge."
  value       = module.bridge.service_name
}

output "bridge_url" {
  description = "Where the API reaches the bridge (private DNS)."
  value       = local.bridge_url
}

output "database_address" {
  description = "Private host name of the diary database."
  value       = module.database.address
}

output "database_publicly_accessible" {
  description = "Whether the database has a public address (always false)."
  value       = module.database.publicly_accessible
}

output "database_deletion_protection" {
  description = "Whether the database refuses deletion."
  value       = module.database.deletion_protection
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.alarms.topic_arn
}

output "api_autoscaling_bounds" {
  description = "Minimum and maximum API tasks."
  value       = module.api.autoscaling_bounds
}

output "bridge_desired_count" {
  description = "Bridge tasks (one: the diary's side must stay small)."
  value       = module.bridge.desired_count
}

output "tls_policy" {
  description = "TLS policy of the HTTPS listener."
  value       = module.load_balancer.ssl_policy
}

output "secret_arns" {
  description = "ARNs of the secrets (values only in Secrets Manager and the encrypted state)."
  value       = module.secrets.secret_arns
}
