"""The auto builder: builds apps without a Dockerfile (Python, Node.js, Go, Ruby, static)."""
