variable "name" {
  type        = string
  description = "Repository name (e.g. symptom-diary)."

  validation {
    condition     = can(regex("^[a-z0-9]+([._/-][a-z0-9]+)*$", var.name))
    error_message = "name must be a valid ECR repository name (lowercase)."
  }
}

variable "keep_images" {
  type        = number
  description = "How many tagged images the lifecycle policy keeps (untagged ones expire after a day)."
  default     = 30

  validation {
    condition     = var.keep_images >= 5 && var.keep_images <= 1000
    error_message = "keep_images must be between 5 and 1000."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
