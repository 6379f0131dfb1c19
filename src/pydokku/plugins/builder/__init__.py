"""Build images from app sources (Dockerfile builder)."""
