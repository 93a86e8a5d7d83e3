output "service_name" {
  description = "Name of the ECS service (CloudWatch dimension ServiceName)."
  value       = aws_ecs_service.this.name
}

output "security_group_id" {
  description = "Security group of the tasks (grant it access to the database, Redis or another service)."
  value       = aws_security_group.this.id
}

output "task_definition_arn" {
  description = "ARN of the current task definition revision."
  value       = aws_ecs_task_definition.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the containers."
  value       = aws_cloudwatch_log_group.this.name
}

output "discovery_name" {
  description = "DNS name under the namespace (<container_name>) when registered, else null."
  value       = one(aws_service_discovery_service.this[*].name)
}

output "autoscaling_bounds" {
  description = "min and max tasks when autoscaling, else null."
  value       = var.autoscaling == null ? null : { min = var.autoscaling.min_tasks, max = var.autoscaling.max_tasks }
}

output "desired_count" {
  description = "Tasks the service was created with."
  value       = aws_ecs_service.this.desired_count
}
