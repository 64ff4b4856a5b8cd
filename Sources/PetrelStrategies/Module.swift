// PetrelStrategies module; see DESIGN.md §2.
