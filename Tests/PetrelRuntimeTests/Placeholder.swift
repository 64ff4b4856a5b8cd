// PetrelRuntimeTests
