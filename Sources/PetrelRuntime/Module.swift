// PetrelRuntime module; see DESIGN.md §2.
