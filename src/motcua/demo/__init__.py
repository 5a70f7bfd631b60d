"""The demo world, in one app at the top of the layers: the organisation and its accounts, the
catalog, months of dossiers replayed through the real services (`generate`), the demo citizen's
dossiers, ratings, petitions and index assessments. Nothing below imports it."""
