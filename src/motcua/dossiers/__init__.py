"""The one-stop dossier lifecycle: receipt, hand-overs, supplements, results, forms, audit."""
