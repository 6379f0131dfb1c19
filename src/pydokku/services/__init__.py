"""The datastore service framework behind `postgres:*`, `redis:*` and any later datastore.

A datastore plugin describes itself with one `ServiceType` (image, port, env, URL,
dump/restore and readiness commands, the offline image recipe); `commands.build_namespace`
turns that description into Dokku's whole `NS:*` command set. The work is done here:

- `names`: pure rules (service names, container names, DNS aliases, URLs, link aliases)
- `store`: services and links in the state store, the password file, service dirs
- `images`: the official image from a registry, or an offline build from the Debian base
- `container`: create, start, stop, expose, wait until ready, remove
- `links`: link, unlink, promote; starting linked services before apps
- `data`: export, import, clone, backups and their retention
- `schedule`: backup schedules in the dokku user's crontab
"""
