"""Training stages (pretrain, finetune, distill): used by ``ictal train``, never by the app."""
