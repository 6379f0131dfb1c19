"""Map the ports a proxy listens on to the ports containers listen on."""
