// PetrelIndicators module; see DESIGN.md §2.
