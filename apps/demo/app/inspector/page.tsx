/**
 * The event inspector. Against the local fakes it is open to whoever runs the demo, so the page
 * hands the browser this process's ledger token; against real platforms the ledger holds real
 * (hashed) customer data, so the page opens only as `/inspector?token=<CAPI_KIT_LEDGER_TOKEN>`.
 */
import { Inspector } from '@/components/inspector';
import { getDemo } from '@/lib/demo-runtime';

export default async function InspectorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const demo = await getDemo();
  const given = (await searchParams).token;
  const token =
    demo.mode === 'fake' ? demo.ledgerToken : given === demo.ledgerToken ? given : undefined;
  if (!token) {
    return (
      <div className="card">
        <h1>Event inspector</h1>
        <p>
          This demo sends to real platforms, so the inspector needs the ledger token: set
          <code> CAPI_KIT_LEDGER_TOKEN </code> in <code>.env.local</code> and open
          <code> /inspector?token=… </code>.
        </p>
      </div>
    );
  }
  return <Inspector token={token} mode={demo.mode} />;
}
