output "address" {
  description = "Host name of the instance (private DNS)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the diary database."
  value       = aws_db_instance.this.db_name
}

output "username" {
  description = "Master user name."
  value       = aws_db_instance.this.username
}

output "instance_identifier" {
  description = "DB instance identifier (CloudWatch dimension DBInstanceIdentifier)."
  value       = aws_db_instance.this.identifier
}

output "allocated_storage_gb" {
  description = "Allocated storage in GiB (for the free-storage alarm)."
  value       = aws_db_instance.this.allocated_storage
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = aws_security_group.this.id
}

output "publicly_accessible" {
  description = "Whether the instance has a public address (always false)."
  value       = aws_db_instance.this.publicly_accessible
}

output "storage_encrypted" {
  description = "Whether storage is encrypted (always true)."
  value       = aws_db_instance.this.storage_encrypted
}

output "deletion_protection" {
  description = "Whether deletion protection is on."
  value       = aws_db_instance.this.deletion_protection
}
