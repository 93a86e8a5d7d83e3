output "secret_arns" {
  description = "ARN of each secret by name, for the task definitions' `secrets` (valueFrom)."
  value       = { for name, secret in aws_secretsmanager_secret.this : name => secret.arn }
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the secrets (tasks need kms:Decrypt on it)."
  value       = aws_kms_key.this.arn
}
