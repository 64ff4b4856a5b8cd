// PetrelIndicatorsTests
