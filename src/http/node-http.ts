// node:http and node:https as CommonJS modules. An ES import of node:http builds the module's ES
// facade, which reads every export, among them the WebSocket, CloseEvent and MessageEvent getters
// that load node's internal copy of undici: ~8 MB of RSS for classes this action never uses.
// process.getBuiltinModule returns the modules themselves and reads no getter.

export const nodeHttp = () => process.getBuiltinModule('node:http');
export const nodeHttps = () => process.getBuiltinModule('node:https');
