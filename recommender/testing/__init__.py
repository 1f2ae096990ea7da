"""What the tests and the long fuzz run share: SPEC oracles written independently of the
rules (:mod:`.oracles`) and hypothesis strategies for profiles (:mod:`.strategies`, needs
the ``dev`` extra). Nothing here is used by the product itself."""
