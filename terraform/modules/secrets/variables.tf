variable "name" {
  type        = string
  description = "Prefix of the secret names (<name>/<SECRET_NAME>) and of the KMS key alias."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}[a-z0-9]$", var.name))
    error_message = "name must be 3-52 characters of lowercase letters, digits and hyphens."
  }
}

variable "secret_names" {
  type        = set(string)
  description = "Names of the secrets, as the environment variables the containers read (JWT_SECRET, DATABASE_URL, ...). Given apart from the values so that the set of secrets is known at plan time."

  validation {
    condition     = alltrue([for n in var.secret_names : can(regex("^[A-Z][A-Z0-9_]{1,63}$", n))])
    error_message = "Secret names must be environment-variable names (uppercase letters, digits, underscores)."
  }
}

variable "secret_values" {
  type        = map(string)
  description = "The value of each secret in secret_names (generated with random_password or passed in; never written in code)."
  sensitive   = true

  validation {
    condition     = alltrue([for v in values(var.secret_values) : length(v) > 0])
    error_message = "Secret values must not be empty."
  }
}

variable "recovery_window_days" {
  type        = number
  description = "Days a deleted secret can still be restored (0 deletes at once: throw-away environments only)."
  default     = 30

  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or 7-30."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
