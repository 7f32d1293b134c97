"""Reference data: who held which office when (`governments`) and who is who (`people`), read
from the TOML files of the `reference/` folder (shipped in the wheel as `kg/data/reference/`)."""
