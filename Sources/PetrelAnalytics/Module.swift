// PetrelAnalytics module; see DESIGN.md §2.
