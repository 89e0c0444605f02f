"""Durable stores behind one interface (see ``clawvm.stores.base``)."""
