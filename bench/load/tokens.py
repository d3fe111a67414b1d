#!/usr/bin/env python3
"""Makes an EHR issuer for the authenticated load run: a fresh P-384 key, the trusted-issuers file that trusts
it (interfaces.md section 8.3), and COUNT ES384 tokens for AUDIENCE, one per line, each with its own jti
(the service refuses a replayed token), valid for the next 50 minutes.

    tokens.py ISSUERS_FILE TOKENS_FILE AUDIENCE COUNT
"""
import base64
import json
import sys
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ISSUER = "https://ehr.load.test"
KID = "load-es384"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main() -> None:
    issuers_file, tokens_file, audience, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    key = ec.generate_private_key(ec.SECP384R1())
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-384", "kid": KID, "use": "sig", "alg": "ES384",
           "x": b64url(numbers.x.to_bytes(48, "big")), "y": b64url(numbers.y.to_bytes(48, "big"))}
    with open(issuers_file, "w") as f:
        json.dump({"issuers": [{"iss": ISSUER, "jwks": {"keys": [jwk]}}]}, f, indent=2)
    header = b64url(json.dumps({"alg": "ES384", "typ": "JWT", "kid": KID}, separators=(",", ":")).encode())
    now = int(time.time())
    with open(tokens_file, "w") as f:
        for i in range(count):
            claims = {"iss": ISSUER, "aud": audience, "iat": now, "exp": now + 3000, "jti": f"load-{now}-{i}"}
            payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
            signing_input = f"{header}.{payload}".encode()
            r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA384())))
            f.write(f"{header}.{payload}.{b64url(r.to_bytes(48, 'big') + s.to_bytes(48, 'big'))}\n")


if __name__ == "__main__":
    main()
