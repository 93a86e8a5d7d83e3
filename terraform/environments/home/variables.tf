variable "docker_host" {
  type        = string
  description = "Docker engine of the Pi 4 over SSH, e.g. ssh://pi@pi4.lan:22."

  validation {
    condition     = can(regex("^ssh://[a-z_][a-z0-9_-]*@[A-Za-z0-9.-]+(:[0-9]+)?$", var.docker_host))
    error_message = "docker_host must be ssh://<user>@<host>[:port]."
  }
}

variable "deploy_dir" {
  type        = string
  description = "Checkout of this repository on the Pi: the nginx configuration, the diary init scripts and docker/secrets (made by docker/scripts/make-secrets.sh) are mounted from it."
  default     = "/opt/symptom-diary"

  validation {
    condition     = startswith(var.deploy_dir, "/") && !endswith(var.deploy_dir, "/")
    error_message = "deploy_dir must be an absolute path without a trailing slash."
  }
}

variable "tls_cert_dir" {
  type        = string
  description = "Directory on the Pi with fullchain.pem and privkey.pem for nginx (Let's Encrypt, copied by the certbot deploy hook)."
  default     = "/srv/symptom-diary/certs"

  validation {
    condition     = startswith(var.tls_cert_dir, "/")
    error_message = "tls_cert_dir must be an absolute path."
  }
}

variable "certbot_webroot" {
  type        = string
  description = "Directory on the Pi certbot writes HTTP-01 challenges to (served by nginx on port 80)."
  default     = "/srv/symptom-diary/certbot-www"

  validation {
    condition     = startswith(var.certbot_webroot, "/")
    error_message = "certbot_webroot must be an absolute path."
  }
}

variable "app_image" {
  type        = string
  description = "Image repository of the API and the bridge (multi-arch: linux/arm64 for the Pi)."
  default     = "ghcr.io/symptom-diary/backend"

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+$", var.app_image))
    error_message = "app_image must be <registry>/<repository> without a tag."
  }
}

variable "app_tag" {
  type        = string
  description = "Immutable tag to run (the commit SHA the pipeline built)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,128}$", var.app_tag)) && var.app_tag != "latest"
    error_message = "app_tag must be an immutable tag (the commit SHA), not latest."
  }
}

variable "diary_stand_in" {
  type        = bool
  description = "Run the postgres stand-in for the diary (development). False in production: the bridge reads the Pi 3B's diary (diary_database_url points there)."
  default     = false
}

variable "bridge_key_id" {
  type        = string
  description = "Key id the API instances sign bridge requests with (the secret is in docker/secrets/bridge_secret)."
  default     = "api"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,64}$", var.bridge_key_id))
    error_message = "bridge_key_id must be 1-64 of [A-Za-z0-9_.-]."
  }
}

variable "diary_timezone" {
  type        = string
  description = "IANA time zone of the diary's wall-clock timestamps."
  default     = "Europe/Berlin"

  validation {
    condition     = can(regex("^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$", var.diary_timezone))
    error_message = "diary_timezone must be an IANA zone name such as Europe/Berlin."
  }
}

variable "cloudflare_zone_id" {
  type        = string
  description = "Cloudflare zone id of the domain."

  validation {
    condition     = can(regex("^[a-f0-9]{32}$", var.cloudflare_zone_id))
    error_message = "cloudflare_zone_id must be the 32-character hex zone id."
  }
}

variable "domain_name" {
  type        = string
  description = "Public host name of the Pi (e.g. diary.example.org)."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name."
  }
}

variable "public_ipv4" {
  type        = string
  description = "The router's public IPv4 address at creation; ddclient keeps the record current afterwards (Terraform ignores later changes of the address)."

  validation {
    condition     = can(cidrhost("${var.public_ipv4}/32", 0))
    error_message = "public_ipv4 must be an IPv4 address."
  }
}
