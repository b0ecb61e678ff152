// The Provenance module; see DESIGN.md for what it owns.
