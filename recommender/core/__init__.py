"""Pure evaluation over polars frames: runner features (:mod:`.features`), runner × shoe
pairs (:mod:`.pairs`), the plan (:mod:`.plan`) and ranking (:mod:`.ranking`). One runner is
a frame of one; a cohort is a frame of many; the code is the same."""
