/**
 * The relay's ledger API (`relay.handleLedger`): what the inspector reads. The relay answers only
 * because the demo enabled it, and asks for the token (`?token=` or Bearer) outside development.
 */
import { getDemo } from '@/lib/demo-runtime';

export async function GET(request: Request): Promise<Response> {
  return (await getDemo()).relay.handleLedger(request);
}
