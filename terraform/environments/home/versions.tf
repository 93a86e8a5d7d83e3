terraform {
  required_version = ">= 1.7.0"

  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = "~> 3.6"
    }
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "~> 5.8"
    }
  }

  # State stays on the operator's machine by default (it holds no secret: the containers read
  # their secrets from files on the Pi). For a shared state use a partial backend the same way
  # as staging (docs/infrastructure.md).
}

# The Docker engine of the Pi 4, over SSH (the user must be in the docker group; the host key
# must already be in known_hosts).
provider "docker" {
  host     = var.docker_host
  ssh_opts = ["-o", "StrictHostKeyChecking=yes", "-o", "ServerAliveInterval=30", "-o", "BatchMode=yes"]
}

# Reads CLOUDFLARE_API_TOKEN from the environment (a token limited to DNS:Edit of the zone).
provider "cloudflare" {}
