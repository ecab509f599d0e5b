"""제조 AX 데이터 라이브러리 The secure manufacturing data library (report section 5).

Compute-to-data after the Dataspace Protocol and PySyft: an owner registers an *asset*
(stored as Parquet inside the library, with a content hash and a synthetic mock twin), attaches
a *usage policy*; an analyst negotiates an access *contract* (requested → offered → agreed →
finalised | terminated) and submits *compute requests* (a registered recipe or user code)
that run first on the mock, then — once a steward approves — in a sandbox on the real data;
only results that pass the policy's release checks leave. Every step and every refusal is
in the hash-chained audit log.

Modules: ``tables`` (SQL), ``members`` (library roles), ``assets``, ``policies``,
``contracts``, ``requests`` (services), ``views`` (read models: never raw rows), ``seed``;
the engine side — ``mock``, ``recipes``, ``terms``, ``sandbox``, ``release`` — holds no state.
"""
