"""Store backends besides the embedded one (`kg.store`): SPARQL servers."""
