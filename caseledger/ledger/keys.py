"""The Ed25519 key that signs checkpoints. It lives in a file, never in the database.

A database administrator who can rewrite events and recompute hashes must not be able to
re-sign checkpoints, so the private key is kept outside the store (``CASELEDGER_CHECKPOINT_KEY``
or ``CASELEDGER_HOME/keys``) and verification trusts only the public key file beside it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from caseledger.errors import ConfigurationError


def public_key_path(private_path: Path) -> Path:
    return private_path.with_suffix(".pub")


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_or_create_private(path: Path) -> Ed25519PrivateKey:
    """Load the signing key, creating it (mode 0600) with its public key on first use."""
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise ConfigurationError(
                "the checkpoint signing key cannot be read", path=str(path), reason=str(exc)
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigurationError("the checkpoint key is not an Ed25519 key", path=str(path))
        pub_path = public_key_path(path)
        if not pub_path.exists():
            _write(pub_path, _public_pem(key.public_key()), 0o644)
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, pem, 0o600)
    _write(public_key_path(path), _public_pem(key.public_key()), 0o644)
    return key


def load_public(private_path: Path) -> Ed25519PublicKey | None:
    """The trusted public key, or None when no checkpoint key was ever made here."""
    pub_path = public_key_path(private_path)
    if not pub_path.exists():
        return None
    try:
        key = serialization.load_pem_public_key(pub_path.read_bytes())
    except ValueError as exc:
        raise ConfigurationError(
            "the checkpoint public key cannot be read", path=str(pub_path), reason=str(exc)
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigurationError("the checkpoint public key is not Ed25519", path=str(pub_path))
    return key


def _public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
