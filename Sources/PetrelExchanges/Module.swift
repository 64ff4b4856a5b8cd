// PetrelExchanges: venue adapters (one folder per venue) and the paper exchange; see DESIGN.md §2.
