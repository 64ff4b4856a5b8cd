// PetrelMarketData module; see DESIGN.md §2.
