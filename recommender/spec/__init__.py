"""What the data is — declarations only: enums, column specs (:mod:`.vocab`), the runner
profile's dataclasses (:mod:`.profile`) and the dtype of each column kind (:mod:`.dtypes`)."""
