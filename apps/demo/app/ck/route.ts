/**
 * The relay's collect endpoint, mounted with `createRouteHandler(relay)`. The path `/ck` is
 * deliberately bland: filter lists block first-party paths such as `/collect`, `/track`,
 * `/analytics`, `/events` and `/pixel`, which would defeat the point of the server copy.
 */
import { getDemo } from '@/lib/demo-runtime';

export async function POST(request: Request): Promise<Response> {
  return (await getDemo()).routeHandler.POST(request);
}

export async function OPTIONS(request: Request): Promise<Response> {
  return (await getDemo()).routeHandler.OPTIONS(request);
}
