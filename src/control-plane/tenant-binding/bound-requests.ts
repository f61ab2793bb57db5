/** Who a request was bound to, for what runs once it is answered (outside its request context). */
export interface BoundRequest {
  tenantId: string;
  userId: string;
}

const boundRequests = new WeakMap<object, BoundRequest>();

/** Notes the tenant and caller `request` was bound to; forgotten with the request object. */
export function rememberBinding(request: object, binding: BoundRequest): void {
  boundRequests.set(request, binding);
}

/** The tenant and caller of an answered request, if it was bound to one. */
export function bindingOf(request: object): BoundRequest | undefined {
  return boundRequests.get(request);
}
