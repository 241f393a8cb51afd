import { PageHeader } from "@/components/page-header";

export default function UploadPage() {
  return (
    <PageHeader title="Upload">
      Uploading your own faces (crop, 48x48 grayscale, presigned upload to S3, server-side checks) is not built yet.
      Whole datasets can be imported from the command line: <code>npm run import -- path/to/fer2013.csv</code>.
    </PageHeader>
  );
}
