"""Document exchange: edXML packages, the exchange server and its client.

- ``sync.edxml``: QCVN 102 model (frozen dataclasses), streaming writer, safe reader, zip unpacking.
- ``sync.server``: the axis-compatible exchange server (``desk serve``).
- ``sync.client``: the HTTP client the sync engine uses (signing, resumable transfer).
- ``sync.secrets`` / ``sync.connection``: the agency secret in the keyring, the server URL on disk.
- ``sync.testing``: a real server process and a bad-link proxy, for tests and benchmarks.
"""
