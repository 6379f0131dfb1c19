"""Let's Encrypt (ACME) certificates for apps, renewed before they expire."""
