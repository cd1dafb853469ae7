#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here. `prisma generate` only
# needs the path to exist; anything that would really run the engine stops with this message.
echo "The native Prisma schema engine is not installed. Use npm run db:create | db:deploy | db:status." >&2
exit 1
