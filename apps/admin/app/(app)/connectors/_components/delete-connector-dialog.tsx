"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button, Dialog, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Connector } from "@/lib/engine-types";

/** Asks before deleting a connector; on success goes back to the list. */
export function DeleteConnectorDialog({
  connector,
  open,
  onClose,
}: {
  connector: Connector | null;
  open: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const qc = useQueryClient();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: () => api.connectors.remove(connector!.id),
    onSuccess: () => {
      toast.success("Connector deleted", connector?.name);
      qc.invalidateQueries({ queryKey: ["connectors"] });
      router.replace("/connectors");
    },
    onError: (e) => toast.error("Could not delete", e.message),
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Delete connector?"
      description={`“${connector?.name}” stops receiving events. Its delivery history is kept.`}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
            Delete connector
          </Button>
        </>
      }
    />
  );
}
