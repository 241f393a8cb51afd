import { requirePageRole } from "@/app/_lib/auth";
import { ImportModelForm } from "@/components/models/import-model-form";
import { PageHeader } from "@/components/page-header";

export const dynamic = "force-dynamic";

export default async function ImportModelPage() {
  await requirePageRole("researcher", "/models/import");
  return (
    <>
      <PageHeader title="Import an outside model">
        A TensorFlow.js layers or graph model that takes a 48x48x1 face and gives 7 class scores. It is checked, stored as
        a version, and evaluated by the trainer on the same frozen test split as faceloop&apos;s own, its outputs converted
        from the order you state, so it ranks beside them.
      </PageHeader>
      <ImportModelForm />
    </>
  );
}
