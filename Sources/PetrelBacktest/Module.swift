// PetrelBacktest module; see DESIGN.md §2.
