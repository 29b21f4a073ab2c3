// graphql-ws publishes its ws adapter only through its package "exports" ("graphql-ws/use/ws"),
// which this project's TypeScript resolution ("node") does not read; Node's require does.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
