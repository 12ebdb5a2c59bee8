"""`python -m smartcity_shared.devtoken --role opd --region kab-batang --unit dinkes`:
print a signed development token (HS256 with JWT_SECRET)."""

from __future__ import annotations

import argparse
import os
import time

import jwt

from .identity import ROLES


def mint(
    secret: str,
    role: str,
    region: str,
    unit: str = "",
    sub: str = "",
    ttl_s: int = 86400,
    name: str = "",
    email: str = "",
    catalogue: bool = False,
) -> str:
    claims: dict[str, object] = {
        "sub": sub or f"{role}-{unit or region}",
        "name": name or f"Dev {role}",
        "email": email or f"{role}@example.go.id",
        "role": role,
        "region": region,
        "unit": unit,
        "exp": int(time.time()) + ttl_s,
    }
    if catalogue:
        claims["catalogue"] = True
    return jwt.encode(claims, secret, algorithm="HS256")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", choices=ROLES, default="admin")
    parser.add_argument("--region", default="kab-batang")
    parser.add_argument("--unit", default="")
    parser.add_argument("--ttl", type=int, default=86400)
    parser.add_argument("--catalogue", action="store_true", help="may write national frameworks")
    args = parser.parse_args()
    secret = os.environ.get("JWT_SECRET", "dev-only-secret-change-me-in-production-0123456789")
    print(mint(secret, args.role, args.region, args.unit, ttl_s=args.ttl, catalogue=args.catalogue))


if __name__ == "__main__":
    main()
